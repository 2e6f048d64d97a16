"""Pure computations over the room's evidence: no SQL, no Streamlit.

``health``: red/amber/green of a KPI against its target, and the stage health
signal shown at the top of every wall column. Other modules here hold the
room's other insights (early warnings, fix evidence, review agendas).
"""
