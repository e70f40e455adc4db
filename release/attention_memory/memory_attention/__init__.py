"""memory_attention: dot-product attention over memories, built in five demos.

The submodules are deliberately not imported here: a broken module must not
stop the others from loading (import ``memory_attention.encoder`` etc.).
"""
