"""The password hash (等保 8.1.4.1): Argon2id with the parameters of RFC 9106 §4, second
recommended option (t=3 passes, 64 MiB, 4 lanes), for servers that cannot spend 2 GiB per hash.

Django's own Argon2 hasher uses t=2, 100 MiB and 8 lanes: on a 2-core machine the 8 lanes cost
more CPU than they buy. A hash made with other parameters still verifies (they are written in
it) and is rehashed with these at the next sign-in (`must_update`)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 3
    memory_cost = 64 * 1024  # KiB
    parallelism = 4
