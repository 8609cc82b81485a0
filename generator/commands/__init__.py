"""One module per CLI verb.

Each module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args, io) -> int``.
Heavy imports (troposphere, cfn-lint, boto3) happen inside ``run`` so that ``batchjobs --help``
and light verbs start fast.
"""
