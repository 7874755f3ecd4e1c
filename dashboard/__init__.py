"""The jixiao dashboard: Streamlit pages over the serving copy of the marts (make dashboard)."""
