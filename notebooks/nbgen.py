# Helpers shared by the notebook sources (NN-name.py): build a .ipynb from markdown and code cells.
import json, os

def md(text): return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n").splitlines(True)}

def code(text): return {"cell_type": "code", "execution_count": None, "outputs": [],
                        "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
                        "source": text.strip("\n").splitlines(True)}

SETUP = code("""
#r "../artifacts/naskit/NasKit.dll"
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: Plotly.NET.CSharp, 0.14.0"
#r "nuget: Deedle, 8.1.0"
#load "setup.csx"
""")

def write(source_file, cells):
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                       "language_info": {"name": "polyglot-notebook", "file_extension": ".cs"},
                       "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"name": "csharp"}]}}}}
    out = os.path.splitext(os.path.abspath(source_file))[0] + ".ipynb"
    with open(out, "w") as f:
        json.dump(nb, f, indent=1)
        f.write("\n")
    print(out)
