"""The Streamlit app's pages and shared renderers (thin: every computation is the engine's)."""
