"""The dashboard's pages, run by path by Streamlit (``dashboard/app.py``: ``st.Page``)."""
