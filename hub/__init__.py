"""The course served to a room: a JupyterHub on the instructor's machine (``make hub``).

One process tree, started by :mod:`hub.launch` (``python -m hub``):

* JupyterHub, configured by ``hub/jupyterhub_config.py``, with its proxy
  ``configurable-http-proxy`` from ``node_modules/`` (pinned in ``package-lock.json``);
* JupyterHub's ``SharedPasswordAuthenticator``: learners share one class password, the
  instructor has their own (>= 32 characters) and is the only admin;
* :class:`hub.spawner.CourseSpawner`: each learner's server runs as their own system user,
  inside a memory-limited cgroup (:mod:`hub.cgroups`), from the course's ``.venv``;
* two hub services: the executed book and slides at ``/services/course/``
  (:mod:`hub.course_site`) and ``jupyterhub-idle-culler``;
* the chapters handed out by nbgitpuller from a local bare repository of the checkout.

:mod:`hub.client` drives a running hub over HTTP and the kernel websocket, for the tests in
``tests/hub/`` and the load test ``benchmarks/hub_load.py``.
"""
