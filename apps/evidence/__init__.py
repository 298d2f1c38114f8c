"""Evidence preservation (存证固证): evidence files and the append-only Merkle log with signed tree heads."""
