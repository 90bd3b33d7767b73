"""formmerge: ask citizens and enterprises for each piece of data only once."""

from formmerge.errors import FormmergeError
from formmerge.models import (
    Catalog,
    CatalogItem,
    Field,
    Form,
    Material,
    Role,
)

__all__ = [
    "Catalog",
    "CatalogItem",
    "Field",
    "Form",
    "FormmergeError",
    "Material",
    "Role",
]

__version__ = "0.1.0"
