"""Job postings as a second demand signal: title coding, de-duplication, aggregation, agreement."""
