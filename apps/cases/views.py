"""Staff pages of enforcement cases (list by status and deadline, case file with its action forms, queues)
and the public pages: document verification and the local cashier."""
from django.http import Http404


def case_list(request, queue=None):
    raise Http404


def case_detail(request, pk):
    raise Http404


def case_action(request, pk, action):
    raise Http404


def document_download(request, pk):
    raise Http404


def verify(request, key):
    raise Http404


def cashier(request, reference):
    raise Http404
