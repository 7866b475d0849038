/* tiny: the smallest useful static musl program, exec'd by forkbench's exec cases.
 * Exits 0 at once (through musl's normal start-up and exit). */
int main(void)
{
	return 0;
}
