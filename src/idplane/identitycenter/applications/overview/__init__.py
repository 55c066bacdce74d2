"""Application instances seen as applications (`ApplicationDto`): list and describe."""
