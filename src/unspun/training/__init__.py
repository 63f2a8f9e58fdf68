"""Training code for unspun's models (corpus readers, splits, training loops).

Nothing here is imported by the analysis path. Modules that need heavy dependencies (torch, transformers, ...)
import them lazily; those dependencies come only with the `[train]` extra, never with the default install.
`ptc` is pure Python.
"""
