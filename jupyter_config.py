# Jupyter settings of this project, read by every Jupyter program of the project's environment
# (JupyterLab, jupyter server, jupyter nbconvert): `make` links this file into .venv/etc/jupyter/
# (python -m hzlib.lab install), because Jupyter does not read config files in the working folder.
# See hzlib/lab.py and the README ("在 JupyterLab 中使用 / Working in JupyterLab").
c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# Saving a notebook of notebooks/ in JupyterLab drops what only lives while a kernel runs
# (widget state, live widget views, execution timing; execution counts renumbered, kernelspec
# the environment's), so `make test` (pytest --nbval) compares the saved outputs as committed.
c.ContentsManager.pre_save_hook = "hzlib.lab.pre_save_hook"

# HTML from `jupyter nbconvert --to html` (and Lab's "Save and Export as HTML") loads nothing
# from the internet: no require.js, no MathJax (the notebooks have no formulas; the tables,
# charts and text are in the file itself).
c.HTMLExporter.require_js_url = ""
c.HTMLExporter.mathjax_url = ""
