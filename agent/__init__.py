"""DSPy programs that play the instruments, LM setup, sandbox, trajectories and the CLI."""
