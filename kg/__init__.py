"""PolicyKG: a knowledge-graph builder for Chinese government policy documents.

The package is a pipeline whose data flows one way::

    files → readers → cleaning → structure → extraction records → triples → store → queries → site

Each stage is its own module; the CLI (``kg.cli``) only parses options and calls them.
"""

__version__ = "0.1.0"
