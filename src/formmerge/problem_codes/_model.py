"""The record of one registered problem code."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ProblemCode"]


@dataclass(frozen=True)
class ProblemCode:
    """One registered problem code.

    Attributes:
        code: the kebab-case code.
        title: a few words naming the failure.
        description: what the failure is, and where it can arise.
        example: a problem as it prints (location, message), for the documentation.
    """

    code: str
    title: str
    description: str
    example: str
