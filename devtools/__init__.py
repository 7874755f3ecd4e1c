"""Development tools, outside the runtime package ``jixiao``: the sample generator
(``jixiao_devtools.samples``, which needs reportlab) and the accuracy harness
(``jixiao_devtools.accuracy``).

They come with the ``dev`` extra (``pip install -c constraints.txt -e '.[dev]'``, which
``make install`` does); the project image does not ship them. ``jixiao samples`` and
``jixiao accuracy`` import them when run.
"""
