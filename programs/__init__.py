"""Programmes, their yearly cycles, questionnaires and documents."""
