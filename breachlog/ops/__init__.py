"""What an administrator watches: readiness, metrics, the sender's heartbeat, logs."""
