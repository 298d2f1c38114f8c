"""The shared workflow kit: step policies, step claiming under a lock, sequence numbers and the step log."""
