"""The three frameworks (implementing & scaling AI, ISA-4, MLbC) as validated data files."""

from advisor.frameworks.loader import default_frameworks, load_frameworks
from advisor.frameworks.models import Frameworks

__all__ = ["Frameworks", "default_frameworks", "load_frameworks"]
