"""Plotly figures over a Trace, for notebooks and exports: the same views, names and colours as the
page (both read static/palette.json). Each returns a `plotly.graph_objects.Figure` whose data show
the whole sentence and whose slider replays it word by word.

    from app.core import load_model
    from app import figures
    trace = load_model("lstm").trace("Amazing! This box of cereal ...")
    figures.highway(trace)          # displays in Jupyter / VS Code; or .write_html("chart.html")
"""

from .gradients import connectivity, jacobian_chain, memory_span, reach, squashing
from .memory import memory, whiteboard
from .prediction import compare, prediction
from .roads import roads
from .state import cell, gates, highway

VIEWS = ("highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare")

__all__ = ["VIEWS", "cell", "compare", "connectivity", "gates", "highway", "jacobian_chain", "memory",
           "memory_span", "prediction", "reach", "roads", "squashing", "whiteboard"]
