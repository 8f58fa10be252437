"""预警亮灯: a green / yellow / red light on every project in disposal, with its reasons and what clears them.
See docs/lights.md."""
