"""Background work of the ledger on the huey worker: analysing and applying big imports."""

from huey.contrib.djhuey import db_task

from .intake import jobs


@db_task()
def analyse_import(job_id: str) -> None:
    jobs.run_analysis(job_id)


@db_task()
def apply_import(job_id: str) -> None:
    jobs.run_apply(job_id)
