"""bonemets: an offline reference on the treatment of bone metastases."""

__version__ = "0.1.0"
