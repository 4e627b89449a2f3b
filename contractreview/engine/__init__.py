"""Engine components shared by analysis, exports and the front-ends (pure Python, no Qt)."""
