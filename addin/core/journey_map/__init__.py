"""The journey map itself: stages across, lanes down, pain points coloured by their score, one emotion
curve per persona, and the evidence behind each stage in small print.

Three steps, each its own module: `build` turns what the pipeline has into a `JourneyMap` (the one
place that knows where the numbers come from), `layout` computes the geometry of the pages (boxes,
wrapped lines, font sizes, pages; pure Python, no renderer), and `render` draws that geometry with
matplotlib (PDF and SVG with real text, PNG). `sheet` lays the Map output sheet out; `briefing` draws page 2
of the stakeholder PDF (the charts and the top priorities).
"""

from addin.core.journey_map.data import JourneyMap, MapCurve, MapLane, MapPain, StageEvidence

__all__ = ["JourneyMap", "MapCurve", "MapLane", "MapPain", "StageEvidence"]
