# hzlib — two commands:
#   make report   set up everything, then render the bundled quarterly bulletins into reports/
#   make test     set up everything, then run all tests (unit, doctests, notebooks with nbval)
#
# Set-up: a virtual environment in .venv with the package and its pinned-range
# dependencies; system packages for PDF and Chinese fonts are installed with
# apt-get when running as root and missing, otherwise the missing ones are named:
# the Pango/HarfBuzz libraries WeasyPrint (the PDF engine) loads, fonts-noto-cjk,
# poppler-utils (PDF checks in tests) and chromium (fallback PDF engine, and the
# browser the HTML tests load the bulletin in).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
QUARTER ?= latest
JUPYTER_CONFIG := $(VENV)/etc/jupyter/jupyter_config.py
LAB_PORT ?= 8888
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils chromium

.PHONY: all setup system venv report test test-fast lint clean distclean help notebooks lab

all: help

help:
	@echo "make report   渲染全部内置计划的季度通报 / render bundled bulletins into reports/"
	@echo "make test     运行全部测试 / run all tests"
	@echo "make lab      在 JupyterLab 中打开本项目 / open the project in JupyterLab"
	@echo "make clean    删除 reports/ / remove rendered reports"

setup: system venv

venv: $(STAMP) $(JUPYTER_CONFIG)

# The project's Jupyter settings (jupyter_config.py), linked where the environment's Jupyter reads them.
$(JUPYTER_CONFIG): $(STAMP)
	@$(PY) -m hzlib.lab install

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11+ required"' \
	  || { echo "需要 Python 3.11 或更高版本 / Python 3.11+ required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# Install what PDF rendering and Chinese charts need, when we can.
system:
	@missing=""; \
	for lib in pango-1.0:libpango-1.0-0 pangoft2-1.0:libpangoft2-1.0-0 harfbuzz-subset:libharfbuzz-subset0; do \
	  $(PYTHON) -c 'import ctypes.util, sys; sys.exit(not ctypes.util.find_library(sys.argv[1]))' "$${lib%%:*}" \
	    || missing="$$missing $${lib#*:}"; \
	done; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || command -v google-chrome >/dev/null 2>&1 || [ -n "$$HZ_CHROMIUM" ] || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "安装系统软件包 / installing system packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "apt-get 安装失败 / apt-get failed:$$missing — PDF 输出与相关测试将跳过"; exit 0; }; \
	else \
	  echo "缺少系统软件包 / missing system packages:$$missing"; \
	  echo "  请以 root 运行 / as root run: apt-get install$$missing"; \
	  echo "  没有它们仍可生成 HTML 和 Excel；PDF 输出与相关测试将跳过。"; \
	fi

report: setup
	$(VENV)/bin/hz run --all --quarter $(QUARTER)

test: setup lint
	$(PY) -m pytest

# ruff (pyflakes, imports, bugbear, pyupgrade) and mypy: clean, or make test stops here
lint: venv
	$(PY) -m ruff check hzlib hzsample tests benchmarks
	$(PY) -m mypy

clean:
	rm -rf reports/*

distclean: clean
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis

# Re-execute the committed notebooks with default parameters (after changing hzlib or data).
notebooks: setup
	$(PY) -m hzlib.nbclean

# JupyterLab on the project, on this computer only (127.0.0.1); as root it needs --allow-root.
lab: setup
	@echo "JupyterLab 启动后，在浏览器中打开下面显示的 http://127.0.0.1:…/lab?token=… 地址（只能在本机访问）；"
	@echo "notebook 在 notebooks/ 中，运行全部单元格后 05_whatif 的滑块可以拖动；按 Ctrl-C 两次停止。"
	@echo "Open the http://127.0.0.1:…/lab?token=… address printed below in a browser on this computer; Ctrl-C twice stops it."
	$(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=. \
	  $$([ "$$(id -u)" = "0" ] && echo --allow-root)
