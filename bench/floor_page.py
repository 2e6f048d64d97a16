"""The floor of the benchmark: the cheapest Streamlit page there is (one title,
one line of text). Every figure of `python -m cxroom bench` is also shown as a
ratio to this page's time, measured in the same run on the same machine."""

import streamlit as st

st.title("Floor")
st.write("A trivial page: the cost of Streamlit itself.")
