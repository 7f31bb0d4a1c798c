"""The playground: an embedded, credential-free platform for trying Concord in a browser."""

from adapters.playground.playground import Playground

__all__ = ["Playground"]
