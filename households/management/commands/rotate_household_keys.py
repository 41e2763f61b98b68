"""Re-encrypt the households' personal data under the current key version."""

from django.core.management.base import BaseCommand

from households import crypto
from households.services.keys import rotate


class Command(BaseCommand):
    help = ("用当前版本的密钥（HOUSEHOLD_KEY_VERSION，密钥 households_v<N>）重新加密农户个人信息；"
            "盲索引不变。先部署新密钥并调高 HOUSEHOLD_KEY_VERSION，再运行本命令；旧密钥在运行完之前不能删除")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, **options):
        done = rotate(batch=options["batch"])
        self.stdout.write(self.style.SUCCESS(
            f"已用第 {crypto.current_version()} 版密钥重新加密 {done} 人的个人信息。"))
