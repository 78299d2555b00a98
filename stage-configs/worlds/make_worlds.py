#!/usr/bin/env python3
"""Writes the example worlds (hills, hills-edge, breakout, shelf, traffic, floating) as scene JSON. Run from this folder."""
import json

def r(v, n=4):
    return round(v, n)

def floor():
    return {"name": "floor", "tags": ["set"], "shape": {"kind": "plane", "normal": [0, 1, 0], "offsetM": 0},
            "material": "ground", "appearance": {"primitive": "plane", "colorLinear": [0.2, 0.2, 0.22]}}

MATERIALS = {
    "ground": {"friction": 0.8, "restitution": 0.1},
    "rubber": {"friction": 0.9, "restitution": 0.5},
    "glass": {"friction": 0.4, "restitution": 0.05},
    "wood": {"friction": 0.6, "restitution": 0.1},
}

def hills(edge=False):
    """The valley; with edge=True a 0.2 m (diameter) ball rolls off its front edge (z = +4 m) and falls past the world bound."""
    ws, ds, width, depth = 41, 9, 20.0, 8.0
    heights = []
    for iz in range(ds):
        for ix in range(ws):
            x = -width / 2 + width * ix / (ws - 1)
            heights.append(r(0.05 * x * x))
    x0 = -7.0
    ball = {"name": "ball", "tags": ["hero"], "shape": {"kind": "sphere", "radiusM": 0.3}, "massKg": 5, "material": "rubber",
            "positionM": [x0, r(0.05 * x0 * x0 + 0.35), 0], "appearance": {"primitive": "sphere", "colorLinear": [0.8, 0.1, 0.05]}}
    if edge:
        ball = {"name": "ball", "tags": ["hero"], "shape": {"kind": "sphere", "radiusM": 0.1}, "massKg": 1, "material": "rubber",
                "positionM": [0, 0.11, 3.0], "linearVelocityMps": [0, 0, 1.5],
                "appearance": {"primitive": "sphere", "colorLinear": [0.8, 0.1, 0.05]}}
    return {
        "name": "hills-edge" if edge else "hills", "stepHz": 120, "seed": 1,
        "rules": {"gravityMps2": [0, -9.81, 0]},
        "materials": MATERIALS,
        "entities": [
            {"name": "valley", "tags": ["set"], "body": "static", "material": "ground",
             "shape": {"kind": "terrain", "widthM": width, "depthM": depth, "samples": [ws, ds], "heightsM": heights, "thicknessM": 2},
             "appearance": {"primitive": "terrain", "colorLinear": [0.15, 0.35, 0.12]}},
            ball,
        ],
    }

def breakout(floating=False):
    ents = [floor()]
    joints = []
    n, piece, gap, z = 4, 0.25, 0.002, 0.0
    y0 = 1.0
    def pname(i, j): return f"pane-{i}-{j}"
    for j in range(n):
        for i in range(n):
            ents.append({"name": pname(i, j), "tags": ["pane"], "shape": {"kind": "box", "sizeM": [piece, piece, 0.02]}, "massKg": 0.4,
                         "material": "glass", "positionM": [r(-0.5 + piece / 2 + i * (piece + gap)), r(y0 + piece / 2 + j * (piece + gap)), z],
                         "appearance": {"primitive": "box", "colorLinear": [0.6, 0.8, 0.9]}})
    for j in range(n):
        for i in range(n):
            if i + 1 < n:
                joints.append({"name": f"h-{i}-{j}", "kind": "fixed", "a": pname(i, j), "b": pname(i + 1, j), "strength": {"forceN": 60, "torqueNm": 6}})
            if j + 1 < n:
                joints.append({"name": f"v-{i}-{j}", "kind": "fixed", "a": pname(i, j), "b": pname(i, j + 1), "strength": {"forceN": 60, "torqueNm": 6}})
            if j == 0 or j == n - 1:
                joints.append({"name": f"frame-{i}-{j}", "kind": "fixed", "a": pname(i, j), "strength": {"forceN": 150, "torqueNm": 15}})
    ents.append({"name": "ball", "tags": ["hero"], "shape": {"kind": "sphere", "radiusM": 0.11}, "massKg": 1.5, "material": "rubber",
                 "positionM": [0, 1.2, 4], "linearVelocityMps": [0, 2.2, -12], "appearance": {"primitive": "sphere", "colorLinear": [0.9, 0.5, 0.05]},
                 **({"overrides": {"floats": True}} if floating else {})})
    for k in range(6):
        box = {"name": f"crate-{k}", "tags": ["stack"], "shape": {"kind": "box", "sizeM": [0.4, 0.4, 0.4]}, "massKg": 4, "material": "wood",
               "positionM": [2.0, r(0.2 + k * 0.401), -1.0], "appearance": {"primitive": "box", "colorLinear": [0.5, 0.3, 0.1]}}
        if floating and k >= 3:
            box["overrides"] = {"floats": True}
            box["tags"] = ["stack", "hero"]
        ents.append(box)
    scene = {"name": "floating" if floating else "breakout", "stepHz": 120, "seed": 7,
             "rules": {"contactEventThresholdMps": 0.5}, "materials": MATERIALS, "entities": ents, "joints": joints}
    if floating:
        scene["commands"] = [
            {"atS": 0.5, "entity": "crate-5", "setVelocity": {"linearMps": [0, 0.4, 0], "angularRadps": [0, 0.8, 0]}},
            {"atS": 1.0, "setRules": {"gravityScale": 0.35}},
        ]
    return scene

def shelf():
    """A 5 kg ball dropped 1.84 m onto a 2 kg shelf held by a 100 N bracket: it meets the shelf at 6 m/s,
    the bracket breaks, and ball and shelf go on down together at 5/7 of that (momentum)."""
    return {
        "name": "shelf", "stepHz": 120, "seed": 1,
        "materials": {"wood": {"friction": 0.6, "restitution": 0.1}, "steel": {"friction": 0.4, "restitution": 0.1}},
        "entities": [
            floor() | {"material": "wood"},
            {"name": "shelf", "tags": ["set"], "shape": {"kind": "box", "sizeM": [0.6, 0.04, 0.3]}, "massKg": 2, "material": "wood",
             "positionM": [0, 1.0, 0], "appearance": {"primitive": "box", "colorLinear": [0.5, 0.3, 0.1]}},
            {"name": "ball", "tags": ["hero"], "shape": {"kind": "sphere", "radiusM": 0.1}, "massKg": 5, "material": "steel",
             "positionM": [0, 2.955, 0], "appearance": {"primitive": "sphere", "colorLinear": [0.6, 0.6, 0.65]}},
        ],
        "joints": [{"name": "bracket", "kind": "fixed", "a": "shelf", "strength": {"forceN": 100}}],
    }

def traffic():
    ents = [floor()]
    loops = [
        ([[-6, 0.7, -30], [-6, 0.7, 10], [-10, 0.7, 10], [-10, 0.7, -30]], 8.0, [0.7, 0.05, 0.05]),
        ([[0, 0.7, 12], [0, 0.7, -35], [4, 0.7, -35], [4, 0.7, 12]], 11.0, [0.05, 0.2, 0.7]),
        ([[-20, 0.7, -4], [20, 0.7, -4], [20, 0.7, -8], [-20, 0.7, -8]], 6.0, [0.9, 0.8, 0.1]),
    ]
    for k, (pts, speed, col) in enumerate(loops):
        ents.append({"name": f"car-{k}", "tags": ["vehicle"], "shape": {"kind": "box", "sizeM": [1.8, 1.4, 4.2]}, "massKg": 1200,
                     "positionM": pts[0], "behaviour": {"kind": "loop", "waypointsM": pts, "speedMps": speed},
                     "appearance": {"primitive": "box", "colorLinear": col}})
    ents.append({"name": "barrier", "tags": ["set"], "shape": {"kind": "box", "sizeM": [0.4, 1.0, 3.0]}, "massKg": 50, "material": "wood",
                 "positionM": [10, 1.5, -6], "behaviour": {"kind": "swing", "pivotM": [10, 1.5, -4.5], "axis": [0, 1, 0], "amplitudeDeg": 80, "periodS": 6}})
    ents.append({"name": "sign", "tags": ["set"], "shape": {"kind": "cylinder", "radiusM": 0.6, "lengthM": 0.1}, "massKg": 5,
                 "positionM": [-3, 4, -12], "behaviour": {"kind": "spin", "axis": [0, 1, 0], "rateDegps": 45},
                 "appearance": {"primitive": "cylinder", "colorLinear": [0.9, 0.9, 0.9]}})
    ents.append({"name": "crates", "tags": ["spawner"], "positionM": [2, 3, -15],
                 "behaviour": {"kind": "spawner", "intervalS": 1.5, "maxCount": 12, "seed": 42, "jitterM": [1.5, 0.3, 1.5],
                               "template": {"shape": {"kind": "box", "sizeM": [0.5, 0.5, 0.5]}, "massKg": 8, "material": "wood", "tags": ["crate"],
                                            "appearance": {"primitive": "box", "colorLinear": [0.5, 0.35, 0.15]}}}})
    return {"name": "traffic", "stepHz": 120, "seed": 3, "materials": MATERIALS, "entities": ents}

for name, scene in [("hills", hills()), ("hills-edge", hills(edge=True)), ("breakout", breakout()), ("shelf", shelf()),
                    ("traffic", traffic()), ("floating", breakout(True))]:
    with open(f"{name}.json", "w") as f:
        json.dump(scene, f, indent=1)
        f.write("\n")
