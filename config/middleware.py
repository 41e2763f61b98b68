"""Response headers that hold for the whole site (issue 14; 等保 GB/T 22239-2019 8.1.4.10 剩余信息保护)."""


class NoStoreWhenSignedIn:
    """``Cache-Control: no-store`` on every response to a signed-in user or an API token.

    What a signed-in person sees (task pages, reports, exports, evidence files, API answers) must
    not stay in a shared office computer's browser cache or in a proxy after logout. Read at
    response time: DRF authenticates a token inside the view and sets ``request.user`` then.
    Whatever a view said before (a max-age, ``public``) is replaced. Static files never reach this
    (whitenoise answers them first) and keep their own caching; the login page and other
    anonymous pages keep Django's own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
