"""Engine components shared by analysis, exports and the front-ends (pure Python, no Qt).

``keyterms`` reads the key terms; ``grader`` is stage 2, the learned grader over the rules of
:mod:`contractreview.analyze`.
"""
