/*
 * The physics benchmark scenes written directly against ODE's C API, so `stage bench physics`
 * can measure Stage.Physics against plain ODE in the same run. Every setting mirrors
 * Stage.Physics' defaults (src/Stage.Physics/PhysicsWorldSettings.cs and PhysicsWorld.cs):
 * quick-step 20 iterations, SOR 1.3, ERP 0.2, CFM 1e-5, max correcting velocity 10 m/s, surface
 * layer 1 mm, auto-disable off, a hash space with levels -3..10, up to 8 contacts per pair with
 * dContactApprox1 and mu = sqrt(mu1 * mu2), a 1/120 s step, dRandSetSeed(0) at the start. The
 * scene is built in the same order, so the two simulations are the same bit for bit; the
 * checksum printed at the end (sum of body heights) proves it.
 *
 * Usage: ode-scenes pyramid <boxes> <warmup steps> <measured steps>
 * Prints: scene=pyramid boxes=N ms_per_step=X checksum=Y
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ode/ode.h>

#define MAX_CONTACTS 8

static dWorldID world;
static dJointGroupID contacts;

static double material_friction = 0.6;

static void near_callback(void *data, dGeomID o1, dGeomID o2)
{
    (void)data;
    dBodyID b1 = dGeomGetBody(o1), b2 = dGeomGetBody(o2);
    if (!b1 && !b2) return;
    if (b1 == b2) return;
    dContact contact[MAX_CONTACTS];
    memset(contact, 0, sizeof contact);
    int n = dCollide(o1, o2, MAX_CONTACTS, &contact[0].geom, sizeof(dContact));
    for (int i = 0; i < n; i++) {
        contact[i].surface.mode = dContactApprox1;
        contact[i].surface.mu = sqrt(material_friction * material_friction);
        dJointID j = dJointCreateContact(world, contacts, &contact[i]);
        dJointAttach(j, b1, b2);
    }
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 5 || strcmp(argv[1], "pyramid") != 0) {
        fprintf(stderr, "usage: ode-scenes pyramid <boxes> <warmup steps> <measured steps>\n");
        return 2;
    }
    int boxes = atoi(argv[2]), warmup = atoi(argv[3]), steps = atoi(argv[4]);
    if (!dCheckConfiguration("ODE_double_precision")) {
        fprintf(stderr, "ode-scenes: ODE is not built in double precision\n");
        return 1;
    }
    dInitODE2(0);
    dAllocateODEDataForThread(dAllocateMaskAll);
    world = dWorldCreate();
    dWorldSetGravity(world, 0, -9.81, 0);
    dWorldSetERP(world, 0.2);
    dWorldSetCFM(world, 1e-5);
    dWorldSetQuickStepNumIterations(world, 20);
    dWorldSetQuickStepW(world, 1.3);
    dWorldSetContactMaxCorrectingVel(world, 10);
    dWorldSetContactSurfaceLayer(world, 0.001);
    dWorldSetLinearDamping(world, 0);
    dWorldSetAngularDamping(world, 0);
    dWorldSetAutoDisableFlag(world, 0);
    dSpaceID space = dHashSpaceCreate(0);
    dHashSpaceSetLevels(space, -3, 10);
    dSpaceSetCleanup(space, 0);
    contacts = dJointGroupCreate(0);
    dRandSetSeed(0);

    dGeomID floor = dCreatePlane(space, 0, 1, 0, 0);
    dGeomSetData(floor, (void *)(size_t)1);

    /* A triangle of 0.5 m boxes standing on the floor, filled from the bottom row up. */
    const double size = 0.5;
    int base = 1;
    while (base * (base + 1) / 2 < boxes) base++;
    dBodyID *bodies = malloc(sizeof(dBodyID) * (size_t)boxes);
    int made = 0;
    for (int row = 0; row < base && made < boxes; row++) {
        int in_row = base - row;
        for (int i = 0; i < in_row && made < boxes; i++) {
            double x = (i - (in_row - 1) / 2.0) * size;
            double y = size / 2 + row * size;
            dMass mass;
            dMassSetBoxTotal(&mass, 1.0, size, size, size);
            dBodyID body = dBodyCreate(world);
            dBodySetData(body, (void *)(size_t)(made + 1));
            dBodySetAutoDisableFlag(body, 0);
            dBodySetMass(body, &mass);
            dBodySetPosition(body, x, y, 0);
            dQuaternion q = { 1, 0, 0, 0 };
            dBodySetQuaternion(body, q);
            dGeomID geom = dCreateBox(space, size, size, size);
            dGeomSetData(geom, (void *)(size_t)(made + 2));
            dGeomSetBody(geom, body);
            bodies[made++] = body;
        }
    }

    for (int s = 0; s < warmup; s++) {
        dSpaceCollide(space, 0, near_callback);
        dWorldQuickStep(world, 1.0 / 120);
        dJointGroupEmpty(contacts);
    }
    double start = now_ms();
    for (int s = 0; s < steps; s++) {
        dSpaceCollide(space, 0, near_callback);
        dWorldQuickStep(world, 1.0 / 120);
        dJointGroupEmpty(contacts);
    }
    double elapsed = now_ms() - start;
    double checksum = 0;
    for (int i = 0; i < made; i++) checksum += dBodyGetPosition(bodies[i])[1];
    printf("scene=pyramid boxes=%d ms_per_step=%.4f checksum=%.17g\n", made, elapsed / steps, checksum);
    free(bodies);
    dJointGroupDestroy(contacts);
    dSpaceDestroy(space);
    dWorldDestroy(world);
    dCloseODE();
    return 0;
}
