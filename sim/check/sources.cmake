# Sources of the history checkers, added to capsim_sim.
target_sources(capsim_sim PRIVATE
)
