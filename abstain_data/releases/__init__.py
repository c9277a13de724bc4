"""Versioned releases: leak-free splits, Hub-layout folders, dataset cards, publishing."""
