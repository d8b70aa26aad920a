"""Helpers shared by the notebooks of "RNN basics in PyTorch".

Import the submodule you need (``from course_utils.text import Vocabulary``); importing the
package itself loads nothing heavy and changes no global state.
"""

__version__ = "0.1.0"
