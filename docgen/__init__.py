"""docgen: typed Python models from Microsoft Graph resource documentation pages."""

__version__ = "0.2.0"
