"""Checks for the homework of lesson 04 (LSTM and GRU): one ``check_taskN`` per task.

``from course_utils.homework04 import check_task1`` in a check cell. The modules, in reading
order: ``feedback`` (pass lines, ``CheckFailed``, ``NotDone``), ``answers`` (the references
the checks compare against), ``layers`` and ``task1_2`` (tasks 1 and 2), ``task3``, ``task4``,
``task5``.
"""

from course_utils.homework04.feedback import NAMES, CheckFailed, NotDone
from course_utils.homework04.task1_2 import check_task1, check_task2
from course_utils.homework04.task3 import check_task3
from course_utils.homework04.task4 import check_task4
from course_utils.homework04.task5 import check_task5

__all__ = ["NAMES", "CheckFailed", "NotDone", "check_task1", "check_task2", "check_task3",
           "check_task4", "check_task5"]
