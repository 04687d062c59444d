"""Match: openings against effective supply — gaps, flags with their arithmetic, duplication."""
