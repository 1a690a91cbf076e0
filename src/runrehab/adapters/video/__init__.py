"""Video adapters: pose from a clip (MediaPipe, the ``video`` extra) in a worker process."""
