"""The demo campaign behind `halfbuilt demo`: projects, accounts and their disposal, written through the
services of every feature app. It sits above them all, so nothing below imports it."""
