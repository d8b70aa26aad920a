"""The course's tools, one package, run from the repository root as ``python -m tools.<module>``
(the Makefile's targets call them so):

- ``paths``: the repository root, the notebook folders and the course's notebook list;
- ``notebooks``: the course kernel and how a notebook is executed (`make install` registers it);
- ``run`` (`make run`), ``refresh`` (`make refresh`), ``student`` (`make student`), ``slides``
  (`make slides`), ``lab`` (`make lab`, `make reset`), ``determinism`` (`make determinism`),
  ``pythons`` (`make pythons`);
- ``bench``: the benchmarks (`make bench`, ``python -m tools.bench``) and the GPU check.
"""
