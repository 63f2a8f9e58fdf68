"""Runtime: loading shipped ONNX models and tokenizers once per process, and running them without torch."""
