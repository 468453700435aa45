"""The innovation app's pages, one module per topic; ``innovation.urls`` names them all.

* :mod:`.opportunities`: the public list and pages; writing, review, renewal, attachments,
  the companies that fit an opportunity and the opportunities that fit a company;
* :mod:`.interest`: expressions of interest and their conversation;
* :mod:`.searches`: saved searches and their digests;
* :mod:`.challenges`: challenges and solution proposals;
* :mod:`.process`: a challenge's stage-gate process page and its forms.
"""
