"""The bundled synthetic demo region: its catalogue, the layout writers, and the generator."""
