"""The published JSON contracts (copied verbatim from the shared contract folder).

``assessment.schema.json`` and ``checkin.schema.json`` are the product's own copies; a test keeps
them byte-identical to the shared originals when those are present.
"""
