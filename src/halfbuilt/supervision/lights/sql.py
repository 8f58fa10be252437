"""Date arithmetic that SQLite and PostgreSQL both do in the database: days as integers."""

from django.db.models import Func, IntegerField


class DayNumber(Func):
    """A date as a number of days (only differences mean anything)."""

    output_field = IntegerField()
    template = "CAST(julianday(%(expressions)s) AS INTEGER)"  # SQLite (julianday of a date is N.5)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(CAST(%(expressions)s AS date) - DATE '1970-01-01')",
                           **extra)
