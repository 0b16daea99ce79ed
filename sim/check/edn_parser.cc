#include "sim/check/edn_parser.h"

#include <charconv>
#include <cstdio>
#include <functional>

#include "sim/utf8.h"
#include "sim/value.h"

namespace capsim {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; }

bool is_delimiter(char c) {
  return is_space(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '"' || c == ';';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters that may appear in a symbol, keyword or number token.
bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return true;  // UTF-8 in names is passed through
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) return true;
  for (char allowed : std::string_view(".*+!-_?$%&=<>/':#|")) {
    if (c == allowed) return true;
  }
  return false;
}

std::string printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", u);
  return buffer;
}

const char* collection_name(EdnNode::Kind kind) {
  switch (kind) {
    case EdnNode::Kind::kList: return "list";
    case EdnNode::Kind::kVector: return "vector";
    case EdnNode::Kind::kMap: return "map";
    default: return "set";
  }
}

// What closes the collection being read: nothing at the top level.
struct Enclosing {
  char closer = 0;
  EdnNode::Kind kind = EdnNode::Kind::kNil;
  int line = 0;
  int column = 0;
};

using ElementSink = std::function<void(EdnNode&&)>;

class Parser {
 public:
  Parser(std::string_view text, Diagnostics& diagnostics)
      : text_(text), diagnostics_(diagnostics) {}

  // Reads every top-level form, handing each to `visitor` as soon as it is complete; the
  // elements of a first form that is a vector or a list go to it one by one (edn_parser.h).
  bool parse_all(const EdnVisitor& visitor) {
    const Enclosing top;
    for (bool first = true;; first = false) {
      EdnNode node;
      bool got = false;
      if (!read_next(node, 0, top, got, first ? &visitor.element : nullptr)) return false;
      if (!got) return true;
      visitor.form(std::move(node));
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  bool fail(int line, int column, std::string message) {
    diagnostics_.error(SourcePos{line, column, ""}, std::move(message));
    return false;
  }

  static std::string too_deep() {
    return "forms nest deeper than " + std::to_string(kMaxEdnDepth) + " levels";
  }

  void skip_space() {
    while (!at_end()) {
      if (is_space(peek())) {
        advance();
      } else if (peek() == ';') {
        while (!at_end() && peek() != '\n') advance();
      } else {
        return;
      }
    }
  }

  // Reads the next form inside `enclosing`, skipping discards. `got` is false at the end of the
  // input or at the enclosing collection's closer (left unread). When the form is a vector or a
  // list (tagged or not) and `sink` is set, its elements go to `sink` instead of its items.
  bool read_next(EdnNode& node, int depth, const Enclosing& enclosing, bool& got,
                 const ElementSink* sink = nullptr) {
    while (true) {
      skip_space();
      got = false;
      if (at_end()) return true;
      const char c = peek();
      if (c == ')' || c == ']' || c == '}') {
        if (c == enclosing.closer) return true;
        if (enclosing.closer == 0)
          return fail(line_, column_, "unexpected '" + std::string(1, c) + "'");
        return fail(line_, column_,
                    "expected '" + std::string(1, enclosing.closer) + "' to close the " +
                        collection_name(enclosing.kind) + " opened at line " +
                        std::to_string(enclosing.line) + ", got '" + std::string(1, c) + "'");
      }
      if (c == '#' && peek(1) == '_') {
        const int line = line_;
        const int column = column_;
        if (depth >= kMaxEdnDepth) return fail(line, column, too_deep());
        advance();
        advance();
        EdnNode discarded;
        bool discarded_one = false;
        if (!read_next(discarded, depth + 1, enclosing, discarded_one)) return false;
        if (!discarded_one) return fail(line, column, "'#_' is not followed by a form to discard");
        continue;
      }
      got = true;
      return parse_form(node, depth, enclosing, sink);
    }
  }

  bool parse_form(EdnNode& node, int depth, const Enclosing& enclosing,
                  const ElementSink* sink = nullptr) {
    node.line = line_;
    node.column = column_;
    const char c = peek();
    switch (c) {
      case '(': return parse_collection(node, EdnNode::Kind::kList, ')', depth, sink);
      case '[': return parse_collection(node, EdnNode::Kind::kVector, ']', depth, sink);
      case '{': return parse_collection(node, EdnNode::Kind::kMap, '}', depth);
      case '"': return parse_string(node);
      case '\\': return parse_character(node);
      case '#': return parse_dispatch(node, depth, enclosing, sink);
      case ':': return parse_keyword(node);
      default: break;
    }
    if (is_digit(c) || ((c == '-' || c == '+') && is_digit(peek(1)))) return parse_number(node);
    if (is_token_char(c)) return parse_symbol(node);
    return fail(line_, column_, "unexpected character " + printable(c));
  }

  bool parse_collection(EdnNode& node, EdnNode::Kind kind, char closer, int depth,
                        const ElementSink* sink = nullptr) {
    if (depth >= kMaxEdnDepth) return fail(line_, column_, too_deep());
    node.kind = kind;
    const Enclosing self{closer, kind, line_, column_};
    if (peek() == '#') advance();  // a set's '#{'
    advance();
    while (true) {
      EdnNode child;
      bool got = false;
      if (!read_next(child, depth + 1, self, got)) return false;
      if (!got) break;
      if (sink != nullptr) {
        (*sink)(std::move(child));
      } else {
        node.items.push_back(std::move(child));
      }
    }
    if (at_end()) {
      return fail(self.line, self.column,
                  std::string("this ") + collection_name(kind) + " is never closed");
    }
    advance();
    if (kind == EdnNode::Kind::kMap && node.items.size() % 2 != 0) {
      return fail(self.line, self.column, "this map has a key without a value");
    }
    return true;
  }

  bool parse_string(EdnNode& node) {
    node.kind = EdnNode::Kind::kString;
    advance();
    while (true) {
      if (at_end()) return fail(node.line, node.column, "this string is never closed");
      const char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (c != '\\') {
        node.text += c;
        advance();
        continue;
      }
      const int line = line_;
      const int column = column_;
      advance();
      if (at_end()) return fail(node.line, node.column, "this string is never closed");
      const char e = peek();
      const std::string escaped = character_at(pos_);
      advance();
      switch (e) {
        case 'n': node.text += '\n'; break;
        case 't': node.text += '\t'; break;
        case 'r': node.text += '\r'; break;
        case 'b': node.text += '\b'; break;
        case 'f': node.text += '\f'; break;
        case '"': node.text += '"'; break;
        case '\\': node.text += '\\'; break;
        case 'u': {
          std::uint32_t code = 0;
          if (!read_hex4(line, column, code)) return false;
          // Characters past U+FFFF are written as a UTF-16 surrogate pair, \uD83D\uDE00;
          // half of a pair alone is no character, and would not be valid UTF-8 in outputs.
          if (code >= 0xdc00 && code <= 0xdfff) return fail(line, column, lone_surrogate(code));
          if (code >= 0xd800 && code <= 0xdbff) {
            std::uint32_t low = 0;
            if (peek() != '\\' || peek(1) != 'u') return fail(line, column, lone_surrogate(code));
            const int low_line = line_;
            const int low_column = column_;
            advance();
            advance();
            if (!read_hex4(low_line, low_column, low)) return false;
            if (low < 0xdc00 || low > 0xdfff) return fail(line, column, lone_surrogate(code));
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          }
          append_utf8(node.text, code);
          break;
        }
        default:
          return fail(line, column, "unknown escape '\\" + escaped + "' in a string");
      }
    }
  }

  // The whole character starting at byte `at` ("" at the end), for messages: never half of a
  // UTF-8 sequence (the input was checked to be UTF-8 before parsing).
  std::string character_at(std::size_t at) const {
    if (at >= text_.size() || text_[at] == '\0') return "";
    const std::size_t length = utf8_sequence_length(text_, at);
    return std::string(text_.substr(at, length == 0 ? 1 : length));
  }

  // Four hexadecimal digits after "\u" (reported at the escape's line and column).
  bool read_hex4(int line, int column, std::uint32_t& code) {
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = peek();
      int digit = -1;
      if (is_digit(h)) digit = h - '0';
      if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') digit = h - 'A' + 10;
      if (digit < 0) return fail(line, column, "'\\u' needs four hexadecimal digits");
      code = code * 16 + static_cast<std::uint32_t>(digit);
      advance();
    }
    return true;
  }

  static std::string lone_surrogate(std::uint32_t code) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string escape = "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) escape += kDigits[(code >> shift) & 0xf];
    return "'" + escape + "' is half of a UTF-16 surrogate pair without its other half: not "
           "a character";
  }

  std::string read_token() {
    const std::size_t start = pos_;
    while (!at_end() && !is_delimiter(peek())) advance();
    return std::string(text_.substr(start, pos_ - start));
  }

  bool parse_character(EdnNode& node) {
    node.kind = EdnNode::Kind::kCharacter;
    advance();
    if (at_end()) return fail(node.line, node.column, "a character literal needs a character");
    // The first character is taken as it is, even a delimiter (\( is the character '(').
    std::string token(1, peek());
    advance();
    token += read_token();
    if (token == "newline")
      node.text = "\n";
    else if (token == "space")
      node.text = " ";
    else if (token == "tab")
      node.text = "\t";
    else if (token == "return")
      node.text = "\r";
    else
      node.text = token;
    return true;
  }

  bool parse_dispatch(EdnNode& node, int depth, const Enclosing& enclosing,
                      const ElementSink* sink) {
    if (peek(1) == '{') return parse_collection(node, EdnNode::Kind::kSet, '}', depth);
    const char next = peek(1);
    if (!((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z'))) {
      return fail(
          line_, column_,
          "unsupported '#" + character_at(pos_ + 1) + "' form");
    }
    if (depth >= kMaxEdnDepth) return fail(line_, column_, too_deep());
    advance();
    std::string tag = read_token();
    const int line = node.line;
    const int column = node.column;
    bool got = false;
    if (!read_next(node, depth + 1, enclosing, got, sink)) return false;
    if (!got) return fail(line, column, "the tag '#" + tag + "' is not followed by a form");
    node.tag = std::move(tag);
    return true;
  }

  bool parse_keyword(EdnNode& node) {
    node.kind = EdnNode::Kind::kKeyword;
    advance();
    if (peek() == ':') advance();  // ::auto-resolved keywords read as plain ones
    node.text = read_token();
    if (node.text.empty()) return fail(node.line, node.column, "a keyword needs a name after ':'");
    return true;
  }

  bool parse_symbol(EdnNode& node) {
    node.text = read_token();
    if (node.text == "nil") {
      node.kind = EdnNode::Kind::kNil;
      node.text.clear();
    } else if (node.text == "true" || node.text == "false") {
      node.kind = EdnNode::Kind::kBoolean;
      node.boolean = node.text == "true";
      node.text.clear();
    } else {
      node.kind = EdnNode::Kind::kSymbol;
    }
    return true;
  }

  bool parse_number(EdnNode& node) {
    std::string token = read_token();
    std::string_view digits = token;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    if (!digits.empty() && digits.back() == 'N') digits.remove_suffix(1);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc() && end == digits.data() + digits.size()) {
      node.kind = EdnNode::Kind::kInteger;
      node.integer = value;
      return true;
    }
    if (error == std::errc::result_out_of_range && end == digits.data() + digits.size()) {
      return fail(node.line, node.column, "the integer " + token + " does not fit in 64 bits");
    }
    if (token.find('/') != std::string::npos) {
      return fail(node.line, node.column, "ratios such as " + token + " are not supported");
    }
    double real = 0;
    std::string_view body = token;
    if (!body.empty() && body.back() == 'M') body.remove_suffix(1);
    if (!body.empty() && body.front() == '+') body.remove_prefix(1);
    const auto [real_end, real_error] =
        std::from_chars(body.data(), body.data() + body.size(), real);
    if (real_error == std::errc() && real_end == body.data() + body.size()) {
      node.kind = EdnNode::Kind::kFloat;
      node.text = token;
      return true;
    }
    return fail(node.line, node.column, "invalid number '" + token + "'");
  }

  std::string_view text_;
  Diagnostics& diagnostics_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::string EdnNode::describe() const {
  switch (kind) {
    case Kind::kNil: return "nil";
    case Kind::kBoolean: return boolean ? "true" : "false";
    case Kind::kInteger: return "the integer " + std::to_string(integer);
    case Kind::kFloat: return "the number " + text;
    case Kind::kString: return "the string " + Value(text).to_text();
    case Kind::kCharacter: return "a character";
    case Kind::kKeyword: return "the keyword :" + text;
    case Kind::kSymbol: return "the symbol " + text;
    case Kind::kList: return "a list";
    case Kind::kVector: return "a vector";
    case Kind::kMap: return "a map";
    case Kind::kSet: return "a set";
  }
  return "a form";
}

bool parse_edn_forms(std::string_view text, Diagnostics& diagnostics, const EdnVisitor& visitor) {
  if (text.size() > kMaxEdnBytes) {
    diagnostics.error(SourcePos{}, "the input is larger than " +
                                       std::to_string(kMaxEdnBytes / (1024 * 1024)) + " MiB");
    return false;
  }
  // Everything read ends up in JSON outputs, which must be UTF-8: refuse other bytes here, at
  // their place, rather than fail when writing.
  if (const std::optional<std::size_t> bad = first_invalid_utf8(text)) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < *bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;  // in bytes, as the parser counts
      }
    }
    diagnostics.error(SourcePos{line, column, ""},
                      "the file is not valid UTF-8: byte " +
                          hex_byte(static_cast<unsigned char>(text[*bad])));
    return false;
  }
  Parser parser(text, diagnostics);
  return parser.parse_all(visitor);
}

std::optional<std::vector<EdnNode>> parse_edn(std::string_view text, Diagnostics& diagnostics) {
  std::vector<EdnNode> forms;
  std::vector<EdnNode> first_items;  // the first form's elements, when they come one by one
  EdnVisitor visitor;
  visitor.element = [&](EdnNode&& element) { first_items.push_back(std::move(element)); };
  visitor.form = [&](EdnNode&& form) {
    if (forms.empty() && !first_items.empty()) form.items = std::move(first_items);
    forms.push_back(std::move(form));
  };
  if (!parse_edn_forms(text, diagnostics, visitor)) return std::nullopt;
  return forms;
}

}  // namespace capsim
