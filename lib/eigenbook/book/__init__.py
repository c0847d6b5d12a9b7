"""The book machinery: execute chapters, check metrics, build the site.

Run it as ``python -m eigenbook.book COMMAND`` (see ``--help``). It imports the
method families' results only through the files chapters write; the families
never import it.
"""
