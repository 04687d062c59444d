"""Supply: regional programs and their completers, allocated to the occupations they train for."""
